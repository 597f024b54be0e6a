fn main() {
    kmsplay_web::start();
}
