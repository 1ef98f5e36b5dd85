"""Page objects: the selectors and clicks of each screen.

Laid out as steps/ and queries/ are: what works on any page at the top (the generic browser and
API steps' helpers), the screens every reference app shares in pages/shared/ (the sign-in page),
a product's own in pages/<product>/.
"""
