"""The People screen: physicians and employees, their monthly limits and watched accounts."""
