"""Areas and postcodes: the postcode-to-area table and tidy UK postcodes."""
