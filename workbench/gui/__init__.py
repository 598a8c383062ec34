"""The desktop app (PySide6). Widgets only: everything it shows comes from workbench.core.library."""
