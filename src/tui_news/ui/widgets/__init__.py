"""The reader's widgets: weather bar, sidebar, article list, article pane, status bar."""
