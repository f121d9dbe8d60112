"""The Qt desktop application. Everything Qt lives under this package."""
