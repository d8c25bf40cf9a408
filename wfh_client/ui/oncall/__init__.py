"""The on-call screens: check-in prompt, today's windows, recall alert, team view, privacy.

- :mod:`.controller` - ``OnCallUi``: menus, status-bar items, do-not-disturb, the bridge handlers
  of ``oncall.*`` / ``feed.*`` events; created by ``ClientApp``.
- :mod:`.wiring` - starts/stops the events feed and ``OnCallService`` for a signed-in account.
- :mod:`.checkin_prompt`, :mod:`.today`, :mod:`.recall_alert` (+ :mod:`.sound`),
  :mod:`.team_view` (+ :mod:`.team_model`, :mod:`.recall_dialog`), :mod:`.privacy`.
- :mod:`.labels` - the on-call vocabulary; :mod:`.shots` - screenshots.
"""
