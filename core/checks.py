"""System checks of the library (registered when the app is ready)."""
