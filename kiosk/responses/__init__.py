"""Responses: answering, storing, drafts, paper responses, exports, attribution and quality signals."""
