"""The supply side: patents, their holders, offers, and the reference schemes they use."""
