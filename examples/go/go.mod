module libcore.dev/example

go 1.19

require libcore.dev/core v0.1.0

// The module built by meson in ../../build; point it elsewhere with
// go mod edit -replace libcore.dev/core=<folder>
replace libcore.dev/core => ../../build/bindings/go/module
