import gc
import weakref

from app.infrastructure.garbage_collection import tuned_garbage_collection


def test_inside_the_block_the_heap_is_frozen_and_the_young_generation_collected_less_often():
    before_threshold, before_frozen = gc.get_threshold(), gc.get_freeze_count()
    with tuned_garbage_collection(12_345):
        assert gc.get_threshold() == (12_345, *before_threshold[1:])
        assert gc.get_freeze_count() > before_frozen
    assert gc.get_threshold() == before_threshold
    assert gc.get_freeze_count() == 0


def test_cyclic_garbage_is_still_collected_by_itself_while_tuned():
    class Node:
        partner: object = None

    collected: list[bool] = []
    with tuned_garbage_collection(1_000):
        first, second = Node(), Node()
        first.partner, second.partner = second, first
        weakref.finalize(first, collected.append, True)
        del first, second
        # No explicit gc.collect(): allocating past the young threshold must trigger one.
        kept: list[list[int]] = [[] for _ in range(5_000)]
        assert collected == [True]
        assert gc.isenabled()
        assert len(kept) == 5_000


def test_zero_leaves_the_collector_alone():
    before_threshold, before_frozen = gc.get_threshold(), gc.get_freeze_count()
    with tuned_garbage_collection(0):
        assert gc.get_threshold() == before_threshold
        assert gc.get_freeze_count() == before_frozen
