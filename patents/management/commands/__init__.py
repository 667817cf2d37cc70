"""manage.py commands of the patents app."""
