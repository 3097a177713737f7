"""The contract between the screens and the core: commands, queries and the DTOs they return."""
