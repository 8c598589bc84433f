from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("insurance", "0003_insurance_roles")]

    operations = [
        migrations.DeleteModel(name="PremiumInstalment"),
        migrations.AddField(
            model_name="policyterm",
            name="period",
            field=models.CharField(
                choices=[
                    ("monthly", "Monthly"),
                    ("half_yearly", "Half-yearly"),
                    ("yearly", "Yearly"),
                ],
                default="yearly",
                max_length=12,
                verbose_name="payment period",
            ),
            preserve_default=False,
        ),
    ]
