"""The bottom layer: helpers every app may import; it imports none of them."""
