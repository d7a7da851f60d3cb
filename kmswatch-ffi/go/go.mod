module github.com/kmswatch/kmswatch/kmswatch-ffi/go

go 1.19
