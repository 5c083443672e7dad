"""deltagrad's pictures: computation graphs, networks and training, and the CLI."""

__all__: list[str] = []
