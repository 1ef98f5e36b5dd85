"""Page objects: the selectors and clicks of each screen.

Shared screens (the sign-in page) live here, a product's in pages/<product>/.
"""
