"""The shop app: models over the shared schema, and the contract's JSON views."""
