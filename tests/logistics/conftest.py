import pytest

from logistics.demo.network import seed_network


@pytest.fixture
def seeded_network(db):
    """The 12-hub demo network, seeded through the registered seeder."""
    seed_network(lambda message: None)


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser(
        username="operator", email="operator@example.org", password="pw-operator", role="operator"
    )


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client
