"""The booking API's Idempotency-Key on the custody record: unique per caller when given."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("custody", "0003_notice_content"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="custodyrecord",
            name="idempotency_key",
            field=models.CharField(blank=True, db_index=True, default="", max_length=80),
        ),
        migrations.AddConstraint(
            model_name="custodyrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("created_by", "idempotency_key"),
                name="custody_record_idempotency_key_unique",
            ),
        ),
    ]
