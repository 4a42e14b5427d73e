module github.com/microauthd/microauthd/bindings/go

go 1.19
