import os

# Settings are read at import time; give the test run its own throwaway values.
os.environ.setdefault("ADMIN_SESSION_SECRET", "test-admin-session")
os.environ.setdefault("STRIPE_API_KEY", "test-stripe-key")
os.environ.setdefault("STRIPE_WEBHOOK_SECRET", "test-webhook-secret")
