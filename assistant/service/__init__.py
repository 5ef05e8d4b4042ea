"""The service layer: AssistantService owns the flow and hands out the register and review services."""

from assistant.service.cases import CaseService
from assistant.service.core import SAFE_DRAFT, AssistantService, SuggestResult
from assistant.service.review import ReviewService

__all__ = ["SAFE_DRAFT", "AssistantService", "CaseService", "ReviewService", "SuggestResult"]
