import pytest


@pytest.fixture(scope="module")
def harness(project, deployer):
    return deployer.deploy(project.PricingHarness)
