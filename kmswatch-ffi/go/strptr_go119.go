//go:build !go1.20

package kmswatch

import (
	"reflect"
	"unsafe"
)

// stringData points at the bytes of s without copying them (Go 1.19 has no
// unsafe.StringData).
func stringData(s string) unsafe.Pointer {
	return unsafe.Pointer((*reflect.StringHeader)(unsafe.Pointer(&s)).Data)
}
