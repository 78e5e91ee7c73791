"""A FastAPI app whose route sends a query through a traced bus to a traced SQL engine."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.cqrs import BaseQueryHandler, CQRSBus, HandlerRegistry, IQuery
from app.infrastructure.tracing.setup import Tracing


@dataclass(frozen=True)
class GetThing(IQuery[int]):
    thing_id: int


def build_traced_app(tracing: Tracing, engine: AsyncEngine) -> FastAPI:
    class GetThingHandler(BaseQueryHandler[GetThing, int]):
        async def _handle(self, query: GetThing) -> int:
            async with engine.connect() as connection:
                result = await connection.execute(text("SELECT :value"), {"value": query.thing_id})
                return int(result.scalar_one())

    registry = HandlerRegistry()
    registry.register_query_handler(GetThing, GetThingHandler)
    bus = CQRSBus(registry=registry)
    bus.add_middleware(tracing.bus_middleware())
    tracing.instrument_engines(engine)

    app = FastAPI()
    tracing.instrument_app(app)

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: int) -> dict[str, int]:
        result = await bus.execute_query(GetThing(thing_id))
        return {"value": result.data or 0}

    @app.get("/metrics")
    async def metrics() -> dict[str, str]:
        return {}

    return app
