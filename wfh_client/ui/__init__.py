"""The PySide6 desktop UI: the only package that imports Qt.

Map (see also ``docs/architecture.md``):

- :mod:`.bridge` - the ONE bridge moving plain-Python :class:`~wfh_client.events.EventBus`
  events onto the GUI thread, dispatched to ``on_event_<name>`` handlers.
- :mod:`.ops` - run closures on the cache writer or a worker pool, results back on the GUI thread.
- :mod:`.context` - :class:`~.context.AppContext`, everything a window or dialog needs.
- :mod:`.app` - QApplication setup, translations, :class:`~.app.ClientApp` (the running shell).
- :mod:`.main_window`, :mod:`.widgets`, :mod:`.models`, :mod:`.views` - the dossier list screen.
- :mod:`.settings_dialog`, :mod:`.tray`, :mod:`.single_instance`, :mod:`.sync_controller`.
"""
