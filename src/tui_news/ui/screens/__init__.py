"""The reader's screens: the three-pane main screen and the help screen."""
