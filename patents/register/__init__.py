"""The patent register: holders, patents, their numbers, terms and computed facts."""
