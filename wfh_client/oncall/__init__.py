"""On-call duty on the client: check-in schedule, check-ins, recalls (no Qt, no ``sync`` import).

Entry point: :class:`wfh_client.oncall.service.OnCallService`. It consumes the ``feed.*`` events
that ``wfh_client.sync.feed.FeedListener`` publishes and reaches the server through an injected
transport (the ``AuthSession``). Privacy: only the user's explicit check-ins and recall answers
are recorded; no activity, screenshots or location.
"""
