.PHONY: test test-core run lint

# Everything: pure core tests, then the Odoo tests on a fresh database.
test:
	bash tools/run_tests.sh

# Only the pure core tests (milliseconds, no Odoo needed).
test-core:
	python3 -m pytest tests

# A demo database with a realistic book, served on http://localhost:8069.
run:
	bash tools/run_demo.sh

lint:
	pre-commit run --all-files
