"""deltagrad's neural networks: a sigmoid MLP of engine scalars and the four formulas."""

__all__: list[str] = []
