"""Enterprise-side models arrive with the demand-side issue."""
