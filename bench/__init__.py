"""`make bench`: the rendered service measured against hand-written FastAPI reference apps."""
