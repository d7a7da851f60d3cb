//go:build go1.20

package kmswatch

import "unsafe"

// stringData points at the bytes of s without copying them.
func stringData(s string) unsafe.Pointer {
	return unsafe.Pointer(unsafe.StringData(s))
}
