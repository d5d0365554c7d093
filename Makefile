# The README's commands, for those who prefer make. Each target calls ./dev.
.PHONY: serve test lint bench
serve:
	./dev serve
test:
	./dev test
lint:
	./dev lint
bench:
	./dev bench
