"""Events: street stalls and meetings where residents answer in person."""
