module libcore.dev/core

go 1.19
