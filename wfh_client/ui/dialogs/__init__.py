"""Dossier action dialogs (one per workflow action) and the menu/toolbar actions opening them.

Entry points: :func:`wfh_client.ui.dialogs.actions.build_dossier_actions` and
:func:`wfh_client.ui.dialogs.actions.open_action_dialog`.
"""
