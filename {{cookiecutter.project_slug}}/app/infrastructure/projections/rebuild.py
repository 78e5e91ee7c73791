"""Rebuilding a read model from scratch: `python -m app.infrastructure.projections.rebuild NAME`.

The projection's checkpoint is claimed (waiting for any projector that holds it), its tables are
emptied and every event is replayed, all in one transaction: readers see the old read model
until the new one is complete, and projectors skip the projection while it is being rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.events.codec import EventCodec
from app.infrastructure.events.log import log_head, read_events
from app.infrastructure.projections.catch_up import codec_for
from app.infrastructure.projections.checkpoints import advance_checkpoint, claim_checkpoint
from app.infrastructure.projections.installed import installed_projections
from app.infrastructure.projections.projection import Projection
from app.settings import get_settings


async def rebuild_projection(
    engine: AsyncEngine,
    projection: Projection,
    *,
    codec: EventCodec | None = None,
    batch_size: int = 1000,
) -> int:
    """Empty the projection's read model and replay the whole log; return the events applied."""
    codec = codec or codec_for([projection])
    applied = 0
    head = await log_head(engine)
    async with engine.begin() as connection:
        await claim_checkpoint(connection, projection.name, wait=True)
        await projection.clear(connection)
        position = 0
        while position < head:
            batch = await read_events(
                connection,
                after=position,
                up_to=head,
                event_types=projection.event_types,
                limit=batch_size,
            )
            await projection.apply_batch(
                connection, [codec.decode_recorded(stored) for stored in batch]
            )
            applied += len(batch)
            position = batch[-1].position if len(batch) == batch_size else head
        await advance_checkpoint(connection, projection.name, head)
    return applied


async def rebuild_by_name(engine: AsyncEngine, name: str, projections: Sequence[Projection]) -> int:
    by_name = {projection.name: projection for projection in projections}
    if name not in by_name:
        known = ", ".join(sorted(by_name)) or "none"
        raise LookupError(f"no projection named {name!r} (installed: {known})")
    return await rebuild_projection(engine, by_name[name])


async def _rebuild(names: Sequence[str]) -> None:
    engine = create_write_engine(get_settings())
    try:
        for name in names:
            applied = await rebuild_by_name(engine, name, installed_projections())
            print(f"rebuilt {name}: {applied} events applied")
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.infrastructure.projections.rebuild",
        description="Empty read models and replay them from the event log.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="projections to rebuild")
    parser.add_argument("--all", action="store_true", help="rebuild every installed projection")
    parser.add_argument("--list", action="store_true", help="list installed projections")
    args = parser.parse_args(argv)
    installed = sorted(projection.name for projection in installed_projections())
    if args.list:
        print("\n".join(installed))
        return 0
    names = installed if args.all else list(args.names)
    if not names:
        parser.error("name at least one projection, or use --all")
    unknown = sorted(set(names) - set(installed))
    if unknown:
        print(f"unknown projection(s): {', '.join(unknown)}", file=sys.stderr)
        print(f"installed: {', '.join(installed) or 'none'}", file=sys.stderr)
        return 2
    asyncio.run(_rebuild(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
