"""The inbox screen: possible re-shares, filters, the reading pane and the review actions."""
