"""The officer and board pages: thin views over actions/selectors and actions/services."""
