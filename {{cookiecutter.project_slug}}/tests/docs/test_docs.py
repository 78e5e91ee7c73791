"""Every ```python block in docs/ runs against this project's code, so the docs cannot drift.

The test of block N runs blocks 0..N of its document in a fresh module (later blocks build on
earlier ones), so each test stands alone and a failure names the block that broke.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.cqrs import default_registry
from app.handlers import import_handler_modules
from tests.docs.code_blocks import CodeBlock, DocModule, python_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOCUMENTS = ("cqrs.md", "architecture.md", "adding-a-handler.md", "testing.md", "operations.md")
# Documents that teach the API must show it running.
DOCUMENTS_WITH_CODE = ("cqrs.md", "architecture.md", "adding-a-handler.md", "testing.md")

# A missing document fails `test_each_document_exists`, not the collection of every test.
ALL_BLOCKS = [
    block for name in DOCUMENTS if (DOCS / name).is_file() for block in python_blocks(DOCS / name)
]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_exists(name: str) -> None:
    assert (DOCS / name).is_file()


@pytest.mark.parametrize("name", DOCUMENTS_WITH_CODE)
def test_documents_that_teach_the_api_carry_python_examples(name: str) -> None:
    assert python_blocks(DOCS / name)


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=lambda block: block.name)
async def test_python_block_runs(block: CodeBlock) -> None:
    reason = block.missing_requirement()
    if reason is not None:
        pytest.skip(reason)
    import_handler_modules()  # the application's own handlers, as at start-up
    handlers_before = default_registry().get_handler_count()
    earlier = python_blocks(block.path)[: block.index]
    with DocModule(f"docs_{block.path.stem.replace('-', '_')}") as module:
        try:
            for previous in earlier:
                if previous.missing_requirement() is not None:
                    continue
                try:
                    await module.run(previous)
                except Exception as exc:
                    pytest.fail(f"{previous.name}, which this block builds on, fails: {exc!r}")
            await module.run(block)
        finally:
            await module.close_leftovers()
    # Examples use registries of their own: nothing leaks into the application's handlers.
    assert default_registry().get_handler_count() == handlers_before
