"""The yearly renewal updates each policy in place: no index on the renewal date, room left in
every page of the policy table for the new row versions, no second index on a term's policy."""

import django.db.models.deletion
from django.db import migrations, models

# Half of every page is left free, so that the renewal of all policies at once (every row
# updated in one transaction) writes each new row version on the page of the old one without
# touching any index (a HOT update); pruning frees the space again before the next year.
# PostgreSQL only; rows already stored keep their pages until the table is rewritten.
POLICY_FILLFACTOR = 50


def _fillfactor(value: int | None):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        if value is None:
            schema_editor.execute("ALTER TABLE insurance_policy RESET (fillfactor)")
        else:
            schema_editor.execute(f"ALTER TABLE insurance_policy SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("insurance", "0004_term_is_the_schedule")]

    operations = [
        migrations.AlterField(
            model_name="policy",
            name="renewal_date",
            field=models.DateField(verbose_name="next renewal"),
        ),
        migrations.AlterField(
            model_name="policyterm",
            name="policy",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="terms",
                to="insurance.policy",
            ),
        ),
        migrations.RunPython(_fillfactor(POLICY_FILLFACTOR), _fillfactor(None)),
    ]
