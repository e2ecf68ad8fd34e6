"""``python -m api.cli`` runs the ``wangge`` command."""

from api.cli import main

main()
