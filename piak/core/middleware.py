from .audit import request_actor


class AuditActorMiddleware:
    """Makes the signed-in user known to audit events written by model signals during the request."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with request_actor(request):
            return self.get_response(request)
