from django.db import models


class Badge(models.Model):
    code = models.CharField(max_length=20)
    holder = models.ForeignKey("auth.User", on_delete=models.CASCADE, null=True)

    def __str__(self):
        return self.code
