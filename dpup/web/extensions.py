"""Flask extensions, created here and initialised in the app factory."""

from flask_migrate import Migrate
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
migrate = Migrate()
