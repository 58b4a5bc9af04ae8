terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

variable "project_id" {
  default = "acme-web-prod"
}
variable "region" {
  default = "europe-west1"
}
variable "services" {
  default = {
    storefront = {
      image    = "europe-docker.pkg.dev/acme/web/storefront:2.1.0"
      public   = true
      env      = { MODE = "prod" }
      secrets  = { API_KEY = "storefront-api-key" }
      domain   = "shop.acme.example"
      max      = 20
    }
    checkout = {
      image   = "europe-docker.pkg.dev/acme/web/checkout:1.7.3"
      public  = false
      env     = {}
      secrets = { STRIPE_KEY = "stripe-key", DB_PASSWORD = "checkout-db" }
      max     = 10
    }
  }
}
variable "invokers" {
  default = ["serviceAccount:gateway@acme-web-prod.iam.gserviceaccount.com", "group:web-team@acme.example"]
}

resource "google_service_account" "run" {
  for_each     = var.services
  project      = var.project_id
  account_id   = "run-${each.key}"
  display_name = "Cloud Run ${each.key}"
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each  = merge([for svc, s in var.services : { for env, secret in s.secrets : "${svc}/${env}" => { svc = svc, secret = secret } }]...)
  project   = var.project_id
  secret_id = each.value.secret
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.run[each.value.svc].member
}

resource "google_cloud_run_v2_service" "svc" {
  for_each = var.services
  project  = var.project_id
  name     = each.key
  location = var.region
  ingress  = each.value.public ? "INGRESS_TRAFFIC_ALL" : "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"

  template {
    service_account = google_service_account.run[each.key].email
    scaling {
      min_instance_count = 0
      max_instance_count = each.value.max
    }
    containers {
      image = each.value.image
      dynamic "env" {
        for_each = each.value.env
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = each.value.secrets
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value
              version = "latest"
            }
          }
        }
      }
      resources {
        limits = { cpu = "1", memory = "512Mi" }
      }
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  for_each = { for k, s in var.services : k => s if s.public }
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.svc[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = { for pair in setproduct([for k, s in var.services : k if !s.public], var.invokers) : "${pair[0]}/${pair[1]}" => { svc = pair[0], member = pair[1] } }
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.svc[each.value.svc].name
  role     = "roles/run.invoker"
  member   = each.value.member
}

resource "google_cloud_run_domain_mapping" "domain" {
  for_each = { for k, s in var.services : k => s if try(s.domain, null) != null }
  project  = var.project_id
  location = var.region
  name     = each.value.domain
  metadata {
    namespace = var.project_id
  }
  spec {
    route_name = google_cloud_run_v2_service.svc[each.key].name
  }
}

output "urls" {
  value = { for k, s in google_cloud_run_v2_service.svc : k => s.uri }
}
