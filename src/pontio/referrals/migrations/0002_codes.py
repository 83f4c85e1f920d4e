from django.db import migrations

from pontio.referrals.codes import load_codes


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load_codes, migrations.RunPython.noop)]
