"""Application settings, read from the environment (and from .env in development)."""

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = "development"
    log_level: str = "INFO"

    database_url: str = "postgresql+asyncpg://postgres:postgres@localhost:5432/shop"
    reporting_database_url: str = "postgresql+asyncpg://reports@localhost:5432/shop"
    redis_url: str = "redis://localhost:6379/0"

    jwt_secret: str = "shop-jwt-key-77be01"
    jwt_algorithm: str = "HS256"

    stripe_api_key: SecretStr
    stripe_webhook_secret: SecretStr

    admin_origins: list[str] = ["https://admin.shop.example.com"]
    fx_rates_url: str = "https://api.exchangerate.host/latest"

    activity_log_path: str = "var/activity.json"
    audit_trail_path: str = "var/audit.jsonl"
    export_dir: str = "var/exports"


@lru_cache
def get_settings() -> Settings:
    return Settings()
