# Copy to instance/config.py and edit. Every key can also be set as VOXBOX_<KEY> in the environment.
# ROLE = "hub"                      # or "kiosk" on a tablet at events
# DATABASE_URL = ""                 # empty: SQLite in this folder; or postgresql://user@host/db
# PUBLIC_URL = "https://consult.example.gov.uk"
# STAFF_PIN = ""                    # kiosk staff PIN; empty: generated into instance/staff_pin
# IDLE_SECONDS = 60
# LANGUAGES = ["en", "cy"]
