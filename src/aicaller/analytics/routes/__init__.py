"""``/api/v1/analytics``: one module per report."""

from fastapi import APIRouter

from aicaller.analytics.routes import call_volume, dashboard, exports, qa_stats, trends
from aicaller.api.problems import problem_responses

router = APIRouter(
    prefix="/analytics",
    tags=["analytics"],
    responses=problem_responses(400, 401, 403, 422, 429),
)
router.include_router(dashboard.router)
router.include_router(call_volume.router)
router.include_router(qa_stats.router)
router.include_router(trends.router)
router.include_router(exports.router)

__all__ = ["router"]
