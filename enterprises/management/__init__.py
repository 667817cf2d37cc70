"""Management commands of the demand side."""
